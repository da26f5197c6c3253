package io.vigil.demo.services.fault;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Applies latency and error faults to the API, inside the request's server span. */
@Configuration
public class FaultInterceptor implements HandlerInterceptor, WebMvcConfigurer {

  private final FaultInjector faults;

  public FaultInterceptor(FaultInjector faults) {
    this.faults = faults;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(this).addPathPatterns("/api/**");
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws InterruptedException {
    faults.beforeRequest(request.getMethod(), request.getRequestURI());
    return true;
  }
}
