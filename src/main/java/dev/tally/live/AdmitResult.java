package dev.tally.live;

/**
 * What admission decided. {@code acceptedAnswer} is the stored answer of an admitted call (so a retry
 * returns the instructions first handed out); {@code reason} is set for a rejected one.
 */
public record AdmitResult(StateChange change, String acceptedAnswer, RejectReason reason) {

    public boolean accepted() {
        return acceptedAnswer != null;
    }

    /** The stored form, one string, the same in both state implementations. */
    String encode() {
        return accepted() ? "A:" + acceptedAnswer : "R:" + reason.wireName();
    }

    static AdmitResult decode(StateChange change, String stored) {
        if (stored.startsWith("A:")) {
            return new AdmitResult(change, stored.substring(2), null);
        }
        return new AdmitResult(change, null, RejectReason.fromWire(stored.substring(2)));
    }
}
