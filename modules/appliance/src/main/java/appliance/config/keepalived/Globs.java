package appliance.config.keepalived;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** An include's pattern as files: shell globs (*, ?, [...]) in any part of the path, sorted as glob(3) sorts. */
final class Globs {

    private Globs() {
    }

    static boolean isGlob(String pattern) {
        return pattern.chars().anyMatch(c -> c == '*' || c == '?' || c == '[');
    }

    /** A relative pattern is read from the including file's directory. */
    static Path resolve(String pattern, Path directory) {
        Path p = Path.of(pattern);
        return p.isAbsolute() || directory == null ? p : directory.resolve(p);
    }

    static List<Path> expand(String pattern, Path directory) {
        Path full = resolve(pattern, directory);
        if (!isGlob(pattern)) {
            return Files.exists(full) ? List.of(full) : List.of();
        }
        List<Path> current = new ArrayList<>();
        current.add(full.getRoot() == null ? Path.of("") : full.getRoot());
        for (Path part : full.getRoot() == null ? full : full.getRoot().relativize(full)) {
            String name = part.toString();
            List<Path> next = new ArrayList<>();
            for (Path base : current) {
                if (!isGlob(name)) {
                    Path p = base.resolve(name);
                    if (Files.exists(p)) {
                        next.add(p);
                    }
                    continue;
                }
                PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + name);
                try (Stream<Path> children = Files.list(base.toString().isEmpty() ? Path.of(".") : base)) {
                    children.filter(c -> m.matches(c.getFileName()) && !c.getFileName().toString().startsWith(".")
                                    || m.matches(c.getFileName()) && name.startsWith("."))
                            .map(c -> base.resolve(c.getFileName()))
                            .forEach(next::add);
                } catch (IOException e) {
                    // an unreadable or missing directory matches nothing, as glob(3)
                }
            }
            current = next;
        }
        return current.stream().filter(Files::isRegularFile).sorted().toList();
    }
}
