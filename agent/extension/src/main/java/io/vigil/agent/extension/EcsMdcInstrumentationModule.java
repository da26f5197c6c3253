package io.vigil.agent.extension;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;
import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.implementsInterface;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Adds the Elastic Common Schema keys {@code trace.id} and {@code span.id} to every logback
 * event's MDC, next to the upstream agent's {@code trace_id} and {@code span_id}, so ECS log
 * pipelines (Filebeat, Fluent Bit to Elasticsearch, Kibana) correlate logs with traces without
 * any change to the application. Turn off with
 * {@code otel.instrumentation.vigil-logback-ecs-mdc.enabled=false}.
 *
 * <p>Its exit advice must run after the upstream logback-mdc advice, whose result it copies.
 * Advice registered earlier ends up outermost when both change one method, so this module
 * orders itself before the upstream one ({@link #order()} below 0); AgentIT proves the order.
 */
public final class EcsMdcInstrumentationModule extends InstrumentationModule {

  public EcsMdcInstrumentationModule() {
    super("vigil-logback-ecs-mdc", "vigil-logback-mdc");
  }

  @Override
  public int order() {
    return -1;
  }

  @Override
  public ElementMatcher.Junction<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("ch.qos.logback.classic.spi.ILoggingEvent");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.<TypeInstrumentation>singletonList(new LoggingEventInstrumentation());
  }

  /** Instruments every logback event class's MDC getter. */
  public static final class LoggingEventInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return implementsInterface(named("ch.qos.logback.classic.spi.ILoggingEvent"));
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(
          isMethod().and(isPublic()).and(namedOneOf("getMDCPropertyMap", "getMdc"))
              .and(takesArguments(0)),
          EcsMdcInstrumentationModule.class.getName() + "$AddEcsKeysAdvice");
    }
  }

  /** Inlined into logback: may use only JDK classes. */
  @SuppressWarnings("unused")
  public static final class AddEcsKeysAdvice {
    private AddEcsKeysAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC)
            Map<String, String> mdc) {
      if (mdc == null || !mdc.containsKey("trace_id") || mdc.containsKey("trace.id")) {
        return;
      }
      Map<String, String> withEcs = new HashMap<String, String>(mdc);
      withEcs.put("trace.id", mdc.get("trace_id"));
      String spanId = mdc.get("span_id");
      if (spanId != null) {
        withEcs.put("span.id", spanId);
      }
      mdc = withEcs;
    }
  }
}
