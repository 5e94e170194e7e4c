package appliance.vrrp;

import java.util.List;

/** What an instance tracks besides its own interface: keepalived's track_interface, track_file and track_script. */
public record Tracking(List<TrackedInterface> interfaces, List<TrackedFile> files, List<TrackedScript> scripts) {

    public static final Tracking NONE = new Tracking(List.of(), List.of(), List.of());

    public Tracking {
        interfaces = List.copyOf(interfaces);
        files = List.copyOf(files);
        scripts = List.copyOf(scripts);
        if (files.stream().map(TrackedFile::file).distinct().count() != files.size()) {
            throw new IllegalArgumentException("track-file lists a file twice");
        }
        if (interfaces.stream().map(TrackedInterface::name).distinct().count() != interfaces.size()) {
            throw new IllegalArgumentException("track-interface lists an interface twice");
        }
        if (scripts.stream().map(TrackedScript::name).distinct().count() != scripts.size()) {
            throw new IllegalArgumentException("track-script lists a script twice");
        }
    }
}
