package dev.tally.report.usage;

import dev.tally.access.RequestAuth;
import dev.tally.auth.Principal;
import dev.tally.auth.Scope;
import dev.tally.http.ApiError;
import dev.tally.http.Routes;
import dev.tally.report.DateRange;
import dev.tally.report.ReportResponse;
import dev.tally.store.ReportStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;

/**
 * The workspace usage reports (spec 004) under {@code /api/v2/w/{workspace_id}}. Every request is
 * checked in the same order: a valid key (401), the path's workspace is the key's tenant (404),
 * the scope (403), then the parameters (400), so an unauthorised caller learns nothing from them.
 */
public final class UsageRoutes implements Routes {
    private static final String BASE = "/api/v2/w/{" + Workspace.PATH_PARAMETER + "}";
    private static final int AI_DEFAULT_DAYS = 30;

    private final RequestAuth auth;
    private final Clock clock;
    private final ReportStore store;
    private final SmsUsageQuery sms;
    private final MemberUsageQuery member;
    private final MemberListQuery members;

    public UsageRoutes(ReportStore store, RequestAuth auth, Clock clock) {
        this.auth = auth;
        this.clock = clock;
        this.store = store;
        this.sms = new SmsUsageQuery(store);
        this.member = new MemberUsageQuery(store);
        this.members = new MemberListQuery(store);
    }

    @Override
    public void register(Javalin app) {
        app.get(BASE + "/reports/ai-usage", this::aiUsage);
        app.get(BASE + "/reports/sms-usage", this::smsUsage);
        app.get(BASE + "/reports/phone-usage", this::phoneUsage);
        app.get(BASE + "/reports/voice-usage", this::voiceUsage);
        app.get(BASE + "/reports/member-usage/{member_id}", this::memberUsage);
        app.get(BASE + "/members", this::members);
    }

    private void aiUsage(Context context) {
        Principal principal = analyticsReader(context);
        DateRange range = UsageDates.parse(context, UsageDates.today(clock).minusDays(AI_DEFAULT_DAYS),
                UsageDates.today(clock));
        AiUsageReport report = new AiUsageQuery(session(principal, range)).run(principal.tenantId(), range);
        ReportResponse.send(context, report, report::csv);
    }

    private void smsUsage(Context context) {
        Principal principal = analyticsReader(context);
        SmsUsageReport report = sms.run(principal.tenantId(), monthRange(context));
        ReportResponse.send(context, report, report::csv);
    }

    private void phoneUsage(Context context) {
        Principal principal = analyticsReader(context);
        DateRange range = monthRange(context);
        PhoneUsageReport report = new PhoneUsageQuery(session(principal, range)).run(principal.tenantId(), range);
        ReportResponse.send(context, report, report::csv);
    }

    private void voiceUsage(Context context) {
        Principal principal = analyticsReader(context);
        DateRange range = monthRange(context);
        VoiceUsageReport report = new VoiceUsageQuery(session(principal, range)).run(principal.tenantId(), range);
        ReportResponse.send(context, report, report::csv);
    }

    /** The store for one report of the tenant's range: it learns what it needs to of the range once. */
    private ReportStore session(Principal principal, DateRange range) {
        return store.session(principal.tenantId(), range.startMs(), range.endMsExclusive());
    }

    /** A member's own report needs members:read (or analytics:read); anyone else's needs analytics:read. */
    private void memberUsage(Context context) {
        Principal principal = Workspace.authenticate(auth, context);
        String memberId = context.pathParam("member_id");
        boolean own = memberId.equals(principal.key().memberId());
        if (!principal.has(Scope.ANALYTICS_READ)) {
            RequestAuth.requireScope(principal, own ? Scope.MEMBERS_READ : Scope.ANALYTICS_READ);
        }
        DateRange range = UsageDates.parse(context, UsageDates.monthStart(clock), UsageDates.today(clock));
        MemberUsageReport report = member.run(principal.tenantId(), memberId, range);
        ReportResponse.send(context, report, report::csv);
    }

    private void members(Context context) {
        Principal principal = Workspace.authenticate(auth, context);
        if (!principal.has(Scope.ANALYTICS_READ) && !principal.has(Scope.MEMBERS_READ)) {
            throw ApiError.forbidden("the API key lacks the scope " + Scope.ANALYTICS_READ.wireName() + " or "
                    + Scope.MEMBERS_READ.wireName());
        }
        MemberList list = members.run(principal.tenantId());
        ReportResponse.send(context, list, list::csv);
    }

    private Principal analyticsReader(Context context) {
        Principal principal = Workspace.authenticate(auth, context);
        RequestAuth.requireScope(principal, Scope.ANALYTICS_READ);
        return principal;
    }

    private DateRange monthRange(Context context) {
        return UsageDates.parse(context, UsageDates.monthStart(clock), UsageDates.monthEnd(clock));
    }
}
