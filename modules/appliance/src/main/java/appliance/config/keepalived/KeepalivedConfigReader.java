package appliance.config.keepalived;

import appliance.config.ApplianceConfig;
import appliance.config.ConfigException;
import appliance.config.ConfigProblem;
import appliance.config.HoconConfigReader;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads a keepalived.conf into the appliance's model: the text layer, the keyword tree, the
 * keyword tables into HOCON, then the HOCON reader, whose rules and defaults are the only ones.
 * Every problem of the file is reported in one run, each with its file and line.
 */
public final class KeepalivedConfigReader {

    /** A keepalived.conf as HOCON, with what was found on the way. */
    public record Translation(Config hocon, List<ConfigProblem> errors, List<ConfigProblem> warnings) {

        /** The HOCON text that {@code bin/appliance-convert} prints. */
        public String render() {
            return hocon.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setComments(false)
                    .setJson(false).setFormatted(true));
        }
    }

    /** A model read from a keepalived.conf, and its warnings (1.x spellings, globs that match nothing). */
    public record Result(ApplianceConfig config, List<ConfigProblem> warnings) {
    }

    private KeepalivedConfigReader() {
    }

    /**
     * keepalived's config id (its -i option) defaults to the host's name up to the first dot, as
     * keepalived's does.
     */
    public static String defaultConfigId() {
        try {
            String host = java.net.InetAddress.getLocalHost().getHostName();
            int dot = host.indexOf('.');
            return dot < 0 ? host : host.substring(0, dot);
        } catch (java.net.UnknownHostException e) {
            return "";
        }
    }

    public static Translation translate(Path file, String configId) {
        return translate(file, configId, System::getenv);
    }

    public static Translation translate(Path file, String configId, Function<String, String> environment) {
        Findings findings = new Findings();
        if (!Files.isRegularFile(file)) {
            findings.errors.add(new ConfigProblem(file.toString(), 0, null,
                    Files.exists(file) ? "not a regular file" : "no such file"));
            return new Translation(com.typesafe.config.ConfigFactory.empty(), findings.errors, findings.warnings);
        }
        List<KeepalivedLexer.Token> tokens = new KeepalivedLexer(findings, configId, environment).read(file);
        List<Node> nodes = KeywordTree.build(tokens, findings);
        Config hocon = KeepalivedTranslator.translate(nodes, new Origin(file.toString(), 1), findings);
        return new Translation(hocon, List.copyOf(findings.errors), List.copyOf(findings.warnings));
    }

    /** The model, or every error of the file (the keyword layer's and the model's together). */
    public static Result read(Path file, String configId) throws ConfigException {
        return read(translate(file, configId), file.toString());
    }

    /** The model of a translation already made (appliance-convert prints it too), or every error. */
    public static Result read(Translation t, String fileName) throws ConfigException {
        List<ConfigProblem> errors = new ArrayList<>(t.errors());
        ApplianceConfig config = null;
        try {
            config = HoconConfigReader.read(t.hocon(), fileName);
        } catch (ConfigException e) {
            e.problems().forEach(p -> errors.add(KeepalivedWords.reword(p)));
        }
        if (!errors.isEmpty()) {
            errors.sort(java.util.Comparator.comparing((ConfigProblem p) -> p.file() == null ? "" : p.file())
                    .thenComparingInt(ConfigProblem::line));
            throw new ConfigException(errors);
        }
        return new Result(config, t.warnings());
    }
}
