package appliance.vrrp;

import java.util.List;

/**
 * What an instance tracks besides its own interface: keepalived's track_interface, track_file,
 * track_script and track_process, and the checkers' virtual servers.
 */
public record Tracking(List<TrackedInterface> interfaces, List<TrackedFile> files, List<TrackedScript> scripts,
                       List<TrackedProcess> processes, List<TrackedVirtualServer> virtualServers) {

    public static final Tracking NONE = new Tracking(List.of(), List.of(), List.of(), List.of(), List.of());

    public Tracking(List<TrackedInterface> interfaces, List<TrackedFile> files, List<TrackedScript> scripts,
                    List<TrackedProcess> processes) {
        this(interfaces, files, scripts, processes, List.of());
    }

    public Tracking(List<TrackedInterface> interfaces, List<TrackedFile> files, List<TrackedScript> scripts) {
        this(interfaces, files, scripts, List.of());
    }

    public Tracking {
        interfaces = List.copyOf(interfaces);
        files = List.copyOf(files);
        scripts = List.copyOf(scripts);
        processes = List.copyOf(processes);
        virtualServers = List.copyOf(virtualServers);
        if (virtualServers.stream().map(TrackedVirtualServer::key).distinct().count() != virtualServers.size()) {
            throw new IllegalArgumentException("track-virtual-server or track-real-server lists a server twice");
        }
        if (processes.stream().map(TrackedProcess::name).distinct().count() != processes.size()) {
            throw new IllegalArgumentException("track-process lists a process twice");
        }
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
