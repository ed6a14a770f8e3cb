package dev.tally.report.usage;

import dev.tally.access.RequestAuth;
import dev.tally.auth.Principal;
import dev.tally.error.Rejection;
import io.javalin.http.Context;

/**
 * The workspace of a usage report is the key's tenant. The path names it only so existing clients
 * keep their URLs: any other id, including one of another tenant, is answered as if it did not
 * exist, so a key can neither read nor probe other workspaces.
 */
final class Workspace {
    static final String PATH_PARAMETER = "workspace_id";

    private Workspace() {
    }

    static Principal authenticate(RequestAuth auth, Context context) {
        Principal principal = auth.bearer(context);
        String workspace = context.pathParam(PATH_PARAMETER);
        if (principal.tenantId() == null || !principal.tenantId().equals(workspace)) {
            throw Rejection.notFound(PATH_PARAMETER, "workspace not found");
        }
        return principal;
    }
}
