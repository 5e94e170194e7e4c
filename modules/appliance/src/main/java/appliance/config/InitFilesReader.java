package appliance.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code global.init-files = [{ file = "/run/ha/weight", value = 0, overwrite = false }]}: keepalived's track_file init_file. */
final class InitFilesReader {

    static final String KEY = "init-files";
    private static final Set<String> KEYS = Set.of("file", "value", "overwrite");

    private final AddressReader.Problems problems;

    InitFilesReader(AddressReader.Problems problems) {
        this.problems = problems;
    }

    /** Null when an entry is wrong (reported). */
    List<InitFile> read(Config root) {
        String path = "global." + KEY;
        if (!root.hasPath(path)) {
            return List.of();
        }
        ConfigValue v = root.getValue(path);
        String example = "[{ file = \"/run/ha/weight\", value = 0 }]";
        if (v.valueType() != ConfigValueType.LIST) {
            problems.problem(v.origin(), path, "must be a list like " + example + ", got " + KeyReader.describe(v));
            return null;
        }
        List<InitFile> out = new ArrayList<>();
        boolean ok = true;
        ConfigList list = (ConfigList) v;
        for (int i = 0; i < list.size(); i++) {
            String p = path + "[" + i + "]";
            if (list.get(i).valueType() != ConfigValueType.OBJECT) {
                problems.problem(list.get(i).origin(), p, "must be an object like " + example);
                ok = false;
                continue;
            }
            problems.unknownKeys((ConfigObject) list.get(i), p, KEYS);
            KeyReader r = new KeyReader(problems, p, (ConfigObject) list.get(i));
            String file = r.string("file", null, f -> { });
            Integer value = r.integer("value", 0, n -> { });
            Boolean overwrite = r.bool("overwrite", false);
            if (file == null || value == null || overwrite == null) {
                ok = false;
                continue;
            }
            try {
                InitFile init = new InitFile(Path.of(file), value, overwrite);
                if (out.stream().anyMatch(o -> o.file().equals(init.file()))) {
                    throw new IllegalArgumentException(file + " is initialised twice");
                }
                out.add(init);
            } catch (IllegalArgumentException e) {
                problems.problem(list.get(i).origin(), p, e.getMessage());
                ok = false;
            }
        }
        return ok ? out : null;
    }
}
