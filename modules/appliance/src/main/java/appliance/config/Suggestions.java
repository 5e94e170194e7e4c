package appliance.config;

import java.util.Collection;
import java.util.Locale;

/** The "did you mean" of every configuration error: the nearest known name, if any is near. */
public final class Suggestions {

    private Suggestions() {
    }

    /** The known name nearest to {@code key} (edit distance), or null when none is within a third of it. */
    public static String nearest(String key, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : new java.util.TreeSet<>(known)) {
            // A keepalived spelling of a HOCON key (notify_master), or a name as written (VI_3).
            int d = Math.min(levenshtein(key.replace('_', '-').toLowerCase(Locale.ROOT), k),
                    levenshtein(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT)));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
