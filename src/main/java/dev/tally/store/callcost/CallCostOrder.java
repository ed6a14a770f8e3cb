package dev.tally.store.callcost;

/** How the calls of a range are listed; ties go by call id, so every store lists them alike. */
public enum CallCostOrder {
    COST_DESC,
    COST_ASC,
    STARTED_DESC
}
