package dev.tally.tenant;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;

/**
 * A tenant's spending limit over a calendar period, the shares of it that notify, and whether
 * reaching it refuses calls.
 *
 * @param limit in the measure's unit (USD or credits), exact as given
 * @param thresholds shares of the limit that notify when spending reaches them, ascending
 */
public record Budget(String id, String tenantId, String name, BudgetScope scope, BudgetMeasure measure,
                     BudgetPeriod period, ZoneId timezone, BigDecimal limit, List<BigDecimal> thresholds,
                     BudgetAction action, long createdMs, long updatedMs) {

    public Budget {
        thresholds = List.copyOf(thresholds);
    }

    /** The limit in the stored integer units of the measure. */
    public long limitUnits() {
        return measure.units(limit);
    }
}
