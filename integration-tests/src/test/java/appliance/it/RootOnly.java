package appliance.it;

import static org.junit.jupiter.api.Assertions.fail;

import appliance.lab.Lab;
import appliance.lab.LabException;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Fails the whole class with one clear line when not run as root, instead of a stack of ip errors. */
final class RootOnly implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            Lab.requireRoot();
        } catch (LabException e) {
            fail("integration tests must run as root (" + e.getMessage() + "); run `mvn verify` as root");
        }
    }
}
