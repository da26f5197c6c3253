package io.vigil.exporter.incidents.response;

import io.vigil.exporter.incidents.response.action.ActionCall;
import io.vigil.exporter.incidents.response.action.ActionResult;

/** The {@code webhook} action: one HTTP call with a templated JSON body. */
record WebhookAction(WebhookRequest request, WebhookCaller caller) implements ActionCall {

  @Override
  public String target() {
    return request.target();
  }

  @Override
  public String describe() {
    return request.describe();
  }

  @Override
  public String detail() {
    return request.body();
  }

  @Override
  public ActionResult call() throws InterruptedException {
    WebhookCaller.Result r = caller.call(request);
    return new ActionResult(r.ok(), r.outcome());
  }
}
