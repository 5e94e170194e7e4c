package appliance.config.keepalived;

import appliance.config.ConfigProblem;
import java.util.ArrayList;
import java.util.List;

/** What reading a keepalived.conf found wrong (errors) or worth saying (warnings), each with file and line. */
final class Findings {

    final List<ConfigProblem> errors = new ArrayList<>();
    final List<ConfigProblem> warnings = new ArrayList<>();

    void error(Origin at, String keyword, String message) {
        errors.add(new ConfigProblem(at.file(), at.line(), keyword, message));
    }

    void warning(Origin at, String keyword, String message) {
        warnings.add(new ConfigProblem(at.file(), at.line(), keyword, message));
    }
}
