package appliance.script;

import java.util.List;

/**
 * A script checked and ready to run: its program resolved to a path, its arguments, and the
 * user and group it runs as ({@code asOther} when they are not this process's).
 */
public record PreparedScript(List<String> arguments, int uid, int gid, boolean asOther) {

    public PreparedScript {
        arguments = List.copyOf(arguments);
    }

    public PreparedScript withArguments(List<String> extra) {
        List<String> all = new java.util.ArrayList<>(arguments);
        all.addAll(extra);
        return new PreparedScript(all, uid, gid, asOther);
    }

    public String program() {
        return arguments.get(0);
    }
}
