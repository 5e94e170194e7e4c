package appliance.check;

import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP status codes a URL may answer with: single codes and ranges, as keepalived's
 * {@code status_code 200 301-302}. keepalived's default, when none is given, is any 2xx.
 */
public record StatusCodes(List<int[]> ranges) {

    public static final StatusCodes DEFAULT = new StatusCodes(List.<int[]>of(new int[] {200, 299}));

    public StatusCodes {
        ranges = List.copyOf(ranges);
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("no status code");
        }
        for (int[] r : ranges) {
            if (r.length != 2 || r[0] < 100 || r[1] > 599 || r[0] > r[1]) {
                throw new IllegalArgumentException("a status code is 100..599, and a range low-high");
            }
        }
    }

    /** From {@code 200}, {@code "200-299"} or a list of them; throws IllegalArgumentException naming the bad one. */
    public static StatusCodes parse(List<String> items) {
        List<int[]> ranges = new ArrayList<>();
        for (String item : items) {
            String t = item.strip();
            int dash = t.indexOf('-', 1);
            try {
                int low = Integer.parseInt(dash < 0 ? t : t.substring(0, dash).strip());
                int high = dash < 0 ? low : Integer.parseInt(t.substring(dash + 1).strip());
                ranges.add(new int[] {low, high});
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + item + "' is not a status code or a range of them");
            }
        }
        return new StatusCodes(ranges);
    }

    public boolean accepts(int status) {
        for (int[] r : ranges) {
            if (status >= r[0] && status <= r[1]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StatusCodes s && text().equals(s.text());
    }

    @Override
    public int hashCode() {
        return text().hashCode();
    }

    @Override
    public String toString() {
        return text();
    }

    private String text() {
        StringBuilder b = new StringBuilder();
        for (int[] r : ranges) {
            b.append(b.isEmpty() ? "" : " ").append(r[0]).append(r[0] == r[1] ? "" : "-" + r[1]);
        }
        return b.toString();
    }
}
