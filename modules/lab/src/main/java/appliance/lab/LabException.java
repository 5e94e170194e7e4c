package appliance.lab;

/** A lab operation failed or timed out; the message says what was expected and what was seen. */
public final class LabException extends RuntimeException {

    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
