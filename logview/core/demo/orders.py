"""The orders service: ISO-stamped text with Java stack traces, rotated by logrotate."""

from __future__ import annotations

import gzip

import numpy as np

from logview.core.demo.files import _File, _text_file
from logview.core.demo.scenario import (
    ROTATIONS,
    US,
    _arrivals,
    _every_minute,
    _hourly,
    _incident_weight,
    _seconds,
    _split_by_incident,
    _stamps,
    _us,
)
from logview.core.demo.templates import (
    _events,
    _Pools,
    _render,
    _rows,
    _sorted,
    _table,
    _Template,
    _timeline,
    _variables,
)

_JAVA_WEB_FRAMES = """
\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)
\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)
\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)
\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)
\tat org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)
\tat java.base/java.lang.Thread.run(Thread.java:1583)"""
_ORDER_TEMPLATES = _table("""
10  | INFO  | [{thread}] c.e.orders.web.OrderController - Created order {order} for customer {customer}: {qty} items, total {amount} EUR
18  | INFO  | [{thread}] c.e.orders.web.OrderController - GET /orders/{order} answered 200 in {ms} ms
14  | DEBUG | [{thread}] c.e.orders.repo.OrderRepository - Loaded order {order} with {qty} lines in {ms} ms
8   | INFO  | [{thread}] c.e.orders.service.InventoryClient - Reserved {qty} x {sku} for order {order}
1   | WARN  | [{thread}] c.e.orders.service.InventoryClient - Low stock for {sku}: {small} left after reserving for order {order}
7   | INFO  | [{thread}] c.e.orders.payment.PaymentClient - Payment requested for order {order}: {amount} EUR via {card}
7   | INFO  | [{thread}] c.e.orders.payment.PaymentClient - Payment confirmed for order {order} in {ms} ms
0.6 | WARN  | [{thread}] c.e.orders.payment.PaymentClient - Payment declined for order {order}: card_declined ({card})
6   | INFO  | [{thread}] c.e.orders.service.OrderService - Order {order} status changed PENDING -> PAID
3   | INFO  | [{thread}] c.e.orders.service.OrderService - Order {order} status changed PAID -> SHIPPED
3   | INFO  | [scheduling-1] c.e.orders.shipping.ShipmentScheduler - Scheduled shipment for order {order} with {carrier}
0.4 | INFO  | [{thread}] c.e.orders.web.OrderController - Cancelled order {order} at customer request
0.5 | WARN  | [{thread}] c.e.orders.web.OrderController - Rejected order for customer {customer}: validation failed on field 'shippingAddress.postalCode'
8   | INFO  | [kafka-producer-network-thread | orders-1] c.e.orders.events.OrderEventPublisher - Published OrderCreated for {order} to orders.v1 partition {small}
4   | DEBUG | [{thread}] c.e.orders.cache.ProductCache - Cache miss for {sku}, loaded in {ms} ms
0.4 | WARN  | [{thread}] c.e.orders.repo.OrderRepository - Slow query ({slow_ms} ms): SELECT * FROM order_lines WHERE order_id = ?
5   | INFO  | [{thread}] c.e.orders.web.CustomerController - GET /customers/{customer}/orders answered 200 in {ms} ms
6   | DEBUG | [{thread}] c.e.orders.security.JwtFilter - Token accepted for {user}
0.8 | WARN  | [{thread}] c.e.orders.security.JwtFilter - Token expired for {user}, answering 401
1   | INFO  | [{thread}] c.e.orders.service.PromotionService - Applied promotion SPRING{small}0 to order {order}: -{amount} EUR
""") + (
    _Template(0.05, "ERROR", """\
[{thread}] c.e.orders.web.OrderController - Unhandled exception for GET /orders/{order}
java.lang.NullPointerException: Cannot invoke "com.example.orders.model.Address.getCountry()" because "shipping" is null
\tat com.example.orders.mapper.OrderMapper.toDto(OrderMapper.java:57)
\tat com.example.orders.web.OrderController.getOrder(OrderController.java:73)""" + _JAVA_WEB_FRAMES),
    _Template(0.03, "ERROR", """\
[{thread}] c.e.orders.repo.OrderRepository - Could not save order {order}
org.springframework.dao.DataIntegrityViolationException: could not execute statement; constraint [uk_order_idempotency_key]
\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:290)
\tat com.example.orders.repo.OrderRepository.save(OrderRepository.java:41)
\tat com.example.orders.service.OrderService.create(OrderService.java:96)
\tat com.example.orders.web.OrderController.create(OrderController.java:48)
Caused by: org.postgresql.util.PSQLException: ERROR: duplicate key value violates unique constraint "uk_order_idempotency_key"
  Detail: Key (idempotency_key)=({hex32}) already exists.
\tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)
\tat org.postgresql.jdbc.PgPreparedStatement.executeUpdate(PgPreparedStatement.java:152)
\t... 87 common frames omitted"""),
)  # fmt: skip
_ORDER_INCIDENT = _table("""
6 | WARN | [{thread}] c.e.orders.payment.PaymentClient - Payment call for order {order} failed: PaymentTimeoutException (no answer within 5000 ms); retrying (attempt {attempt}/3)
2 | WARN | [{thread}] c.e.orders.web.CheckoutController - Checkout for order {order} answered 503: payments unavailable
""") + (
    _Template(2, "ERROR", """\
[{thread}] c.e.orders.payment.PaymentClient - Giving up on payment for order {order} after 3 attempts
com.example.orders.payment.PaymentException: Payment service unavailable for order {order}
\tat com.example.orders.payment.PaymentClient.charge(PaymentClient.java:142)
\tat com.example.orders.service.CheckoutService.placeOrder(CheckoutService.java:88)
\tat com.example.orders.web.CheckoutController.checkout(CheckoutController.java:51)""" + _JAVA_WEB_FRAMES + """
Caused by: java.net.SocketTimeoutException: Read timed out
\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:278)
\tat java.base/java.net.Socket$SocketInputStream.read(Socket.java:1099)
\tat org.apache.http.impl.io.SessionInputBufferImpl.streamRead(SessionInputBufferImpl.java:137)
\t... 42 common frames omitted"""),
)  # fmt: skip
_ORDER_PERIODIC = _table("""
1 | INFO  | [scheduling-1] c.e.orders.health.HealthReporter - Health UP db=UP kafka=UP payments=UP
1 | WARN  | [scheduling-1] c.e.orders.health.HealthReporter - Health DEGRADED db=UP kafka=UP payments=DOWN
1 | DEBUG | [HikariPool-1 housekeeper] com.zaxxer.hikari.pool.HikariPool - HikariPool-1 - Pool stats (total=20, active={small}, idle=11, waiting=0)
1 | INFO  | [scheduling-1] c.e.orders.jobs.CartCleanupJob - Purged {count} abandoned carts older than 24h in {ms} ms
""")  # fmt: skip
_BREAKER = "[{thread}] io.github.resilience4j.circuitbreaker.CircuitBreakerStateMachine - CircuitBreaker 'payments' changed state from"
_ORDER_EVENTS = _timeline(f"""
14:09:41.204 | WARN | {_BREAKER} CLOSED to OPEN
14:10:41.230 | INFO | {_BREAKER} OPEN to HALF_OPEN
14:10:44.518 | WARN | {_BREAKER} HALF_OPEN to OPEN
14:38:12.006 | INFO | {_BREAKER} OPEN to HALF_OPEN
14:38:30.771 | INFO | {_BREAKER} HALF_OPEN to CLOSED
""")  # fmt: skip


def _orders_logs(rng: np.random.Generator, pools: _Pools) -> list[_File]:
    """Return orders.log and its rotations: retries and a stack-trace burst during the incident."""
    variables = _variables(rng, pools)
    minute = _every_minute(rng)
    health_ok, health_bad = _split_by_incident(minute)
    up, degraded, pool_stats, cleanup = _ORDER_PERIODIC
    entries = _sorted(
        [
            _render(rng, _arrivals(rng, 14.0), _ORDER_TEMPLATES, variables),
            _render(rng, _arrivals(rng, 14.0, _incident_weight), _ORDER_INCIDENT, variables, 50),
            _rows(up, health_ok, variables, 100),
            _rows(degraded, health_bad, variables, 101),
            _rows(pool_stats, minute + 20 * US, variables, 102),
            _rows(cleanup, _hourly(rng, 0), variables, 103),
            _events(_ORDER_EVENTS, variables),
        ]
    )
    ts = entries["ts"].to_numpy()
    lines = (
        _stamps(ts, "%Y-%m-%dT%H:%M:%S%.3fZ")
        + " "
        + entries["level"].str.pad_end(5)
        + " "
        + entries["text"]
    )
    cuts = np.searchsorted(ts, [_us(ROTATIONS[0]), _us(ROTATIONS[1])])
    oldest = _text_file("", lines[: cuts[0]], ts).data
    rotated = _seconds(ROTATIONS[0])
    return [
        _File("orders/orders.log.2.gz", gzip.compress(oldest, 6, mtime=rotated), rotated),
        _File("orders/orders.log.1", _text_file("", lines[cuts[0] : cuts[1]], ts).data, _seconds(ROTATIONS[1])),
        _text_file("orders/orders.log", lines[cuts[1] :], ts),
    ]  # fmt: skip
