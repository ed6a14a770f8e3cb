package dev.tally.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmsEncodingTest {

    @Test
    void wireNamesAreTheContractsLowerCaseNames() {
        assertThat(SmsEncoding.GSM7.wireName()).isEqualTo("gsm7");
        assertThat(SmsEncoding.UCS2.wireName()).isEqualTo("ucs2");
    }

    @Test
    void fromWireAcceptsOnlyTheExactWireNames() {
        assertThat(SmsEncoding.fromWire("gsm7")).contains(SmsEncoding.GSM7);
        assertThat(SmsEncoding.fromWire("ucs2")).contains(SmsEncoding.UCS2);
        assertThat(SmsEncoding.fromWire("GSM7")).isEmpty();
        assertThat(SmsEncoding.fromWire("utf8")).isEmpty();
        assertThat(SmsEncoding.fromWire("")).isEmpty();
        assertThat(SmsEncoding.fromWire(null)).isEmpty();
    }
}
