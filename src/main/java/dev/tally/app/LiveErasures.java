package dev.tally.app;

import dev.tally.lifecycle.erasure.LiveErasure;
import dev.tally.live.LiveIdentifier;
import dev.tally.live.LiveService;
import dev.tally.tenant.ErasureSubject;

/** Erasure's view of live state: the two domains meet here because neither may import the other. */
final class LiveErasures implements LiveErasure {
    private final LiveService live;

    LiveErasures(LiveService live) {
        this.live = live;
    }

    @Override
    public boolean holdsCall(String tenantId, String callId) {
        return live.holdsCall(tenantId, callId);
    }

    /** Live state holds phone numbers and call ids; members and emails never reach it. */
    @Override
    public long erase(String tenantId, ErasureSubject subject, String identifier, String pseudonym) {
        return switch (subject) {
            case PHONE_NUMBER -> live.erase(tenantId, LiveIdentifier.PHONE_NUMBER, identifier, pseudonym);
            case CALL_ID -> live.erase(tenantId, LiveIdentifier.CALL_ID, identifier, pseudonym);
            case MEMBER_ID, USER_EMAIL -> 0;
        };
    }
}
