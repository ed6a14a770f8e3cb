package dev.tally.tenant;

import dev.tally.text.WireName;

/** Which identifier names the data subject whose personal data an erasure replaces. */
public enum ErasureSubject implements WireName {
    MEMBER_ID("member_id"),
    PHONE_NUMBER("phone_number"),
    USER_EMAIL("user_email"),
    /** A call: its own id on the call event and {@code call_id} on every part of it. */
    CALL_ID("call_id");

    private final String wireName;

    ErasureSubject(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }
}
