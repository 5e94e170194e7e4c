package appliance.ipvs;

import java.util.List;

/** What the reconciler can say of the table: what still differs from the desired one, and its work so far. */
public interface TableState {

    /** Each write the kernel refused in the last pass, with why; empty when the table is as desired. */
    List<String> differences();

    long passes();

    long writes();

    long refusedWrites();
}
