package io.vigil.processor.tailsampling.policy;

import io.opentelemetry.proto.trace.v1.Status;
import java.util.EnumSet;
import java.util.Set;

/** {@code status_code}: some span's status is one of {@code status_codes} (OK, ERROR, UNSET). */
final class StatusCodes implements PolicyEvaluator {

  private final Set<Status.StatusCode> codes;

  StatusCodes(Set<Status.StatusCode> codes) {
    this.codes = EnumSet.copyOf(codes);
  }

  static Status.StatusCode parse(String name) {
    return switch (name) {
      case "OK" -> Status.StatusCode.STATUS_CODE_OK;
      case "ERROR" -> Status.StatusCode.STATUS_CODE_ERROR;
      case "UNSET" -> Status.StatusCode.STATUS_CODE_UNSET;
      default -> null;
    };
  }

  @Override
  public Decision evaluate(BufferedTrace trace) {
    return trace.anySpan((rs, s) -> codes.contains(s.getStatus().getCode()))
        ? Decision.SAMPLED : Decision.NOT_SAMPLED;
  }
}
