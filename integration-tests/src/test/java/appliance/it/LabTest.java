package appliance.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that builds namespace labs: root only, and no test may run longer than three
 * minutes (each test closes its lab in try-with-resources, so a timeout still tears it down).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RootOnly.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@interface LabTest {
}
