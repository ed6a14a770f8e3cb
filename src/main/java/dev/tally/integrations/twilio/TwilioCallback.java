package dev.tally.integrations.twilio;

import dev.tally.integrations.MappedEvent;

/**
 * What one status callback says: the sid it is about, Twilio's status, and the revision of the event
 * it becomes, or no event for a status Tally does not store.
 */
record TwilioCallback(String id, String status, long revision, MappedEvent event) {

    static TwilioCallback ignored(String id, String status) {
        return new TwilioCallback(id, status, 0, null);
    }

    boolean isIgnored() {
        return event == null;
    }
}
