package dev.tally.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;

/** A month's rent of each of a tenant's numbers, charged on the first of the month: a {@code phone_number} fee. */
final class NumberFees {
    private static final BigDecimal MONTHLY_RENT_USD = new BigDecimal("1.15");

    private final DemoTenant tenant;
    private final Consumer<ObjectNode> sink;

    NumberFees(DemoTenant tenant, Consumer<ObjectNode> sink) {
        this.tenant = tenant;
        this.sink = sink;
    }

    void day(LocalDate date) {
        if (date.getDayOfMonth() != 1) {
            return;
        }
        long atMs = date.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        for (String number : tenant.phoneNumbers()) {
            ObjectNode fee = DemoJson.event(tenant.id(), "fee_" + tenant.id() + "_"
                    + date.format(DateTimeFormatter.BASIC_ISO_DATE) + "_" + number.substring(1), "fee", atMs);
            fee.put("kind", "phone_number");
            fee.put("provider", "twilio");
            fee.put("cost_usd", MONTHLY_RENT_USD);
            fee.put("quantity", 1);
            fee.put("unit", "month");
            fee.putObject("attributes").put("phone_number", number);
            sink.accept(fee);
        }
    }
}
