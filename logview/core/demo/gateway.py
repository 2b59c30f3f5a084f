"""The gateway service: an Nginx combined access log, with 502/503/504 pages in the incident."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import polars as pl

from logview.core.demo.files import _File, _text_file
from logview.core.demo.scenario import _arrivals, _incident_weight, _periodic, _stamps
from logview.core.demo.templates import _Pools, _render, _rows, _sorted, _Template, _variables

# weight | method path | status:weight ... | median bytes of a 2xx body | fixed user agent
_ENDPOINTS = """
14   | GET /api/products?category={category}&page={page} | 200:96 304:3 500:0.2 | 5200
16   | GET /api/products/{sku}                      | 200:92 304:3 404:5     | 2100
5    | GET /api/products/{sku}/reviews?page={page}  | 200:99 404:1           | 3400
6    | GET /api/search?q={query}                    | 200:98 400:1 500:0.3   | 7800
8    | GET /api/cart                                | 200:90 401:10          | 900
5    | POST /api/cart/items                         | 201:94 400:5 409:1     | 310
2    | DELETE /api/cart/items/{sku}                 | 204:97 404:3           | 0
3    | POST /api/checkout                           | 200:96 400:2 402:2     | 640
4    | GET /api/orders/{order}                      | 200:95 404:5           | 1500
2    | GET /api/orders?customer={customer}&limit=20 | 200:99 401:1           | 4800
0.5  | POST /api/orders/{order}/cancel              | 200:85 409:15          | 220
2    | GET /api/orders/{order}/tracking             | 200:90 404:10          | 760
3    | POST /api/auth/login                         | 200:88 401:12          | 420
4    | POST /api/auth/refresh                       | 200:96 401:4           | 380
4    | GET /api/users/me                            | 200:95 401:5           | 610
0.5  | PUT /api/users/me/addresses/{small}          | 200:93 400:7           | 240
3    | GET /api/recommendations?customer={customer} | 200:99.5 500:0.5       | 3100
2    | GET /api/inventory/{sku}                     | 200:97 404:3           | 180
8    | GET /static/js/app.3f9a2c1e.js               | 200:40 304:60          | 184233
5    | GET /static/css/main.b81d07aa.css            | 200:40 304:60          | 42118
10   | GET /static/img/products/{sku}.webp          | 200:70 304:28 404:2    | 38000
1    | GET /favicon.ico                             | 200:30 304:70          | 1150
0.6  | POST /api/payments/webhook                   | 200:99 400:1           | 2   | Stripe/1.0 (+https://stripe.com/docs/webhooks)
0.15 | GET /.env                                    | 404:100                | 153 | Mozilla/5.0 zgrab/0.x
0.1  | GET /wp-login.php                            | 404:100                | 153 | Mozilla/5.0 zgrab/0.x
0.1  | POST /cgi-bin/luci/;stok=/locale             | 404:100                | 153 | Mozilla/5.0 zgrab/0.x
"""
_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.6261.105 Mobile Safari/537.36",
    "ShopApp/5.12.1 (iPhone; iOS 17.3; Scale/3.00)",
    "ShopApp/5.12.0 (Android 14; SM-S911B)",
    "okhttp/4.12.0",
)
_REFERERS = (
    "-",
    "-",
    "-",
    "https://shop.example.com/",
    "https://shop.example.com/cart",
    "https://www.google.com/",
)
# Bodies of nginx's own error pages, as its access log counts them.
_NGINX_PAGES = {502: 157, 503: 197, 504: 167}


def _gateway_log(rng: np.random.Generator, pools: _Pools) -> list[_File]:
    """Return the API gateway's access log; /api/checkout answers 503/504 during the incident."""
    variables = _variables(rng, pools)
    endpoints = [
        [cell.strip() for cell in row.split(" | ")] for row in _ENDPOINTS.strip().splitlines()
    ]
    templates = [_Template(float(e[0]), "", e[1]) for e in endpoints]
    checkout = next(i for i, e in enumerate(endpoints) if e[1] == "POST /api/checkout")
    retries = _arrivals(rng, 8.0, _incident_weight)  # clients retrying failed checkouts
    requests = _sorted(
        [
            _render(rng, _arrivals(rng, 26.0), templates, variables),
            _rows(templates[checkout], retries, variables, checkout),
        ]
    )
    ts = requests["ts"].to_numpy()
    endpoint = requests["template"].to_numpy()
    status = np.zeros(len(ts), dtype=np.int64)
    size = np.zeros(len(ts), dtype=np.int64)
    agents = pl.Series(_AGENTS).gather(rng.integers(0, len(_AGENTS), len(ts)))
    for index, (_w, _request, statuses, median, *agent) in enumerate(endpoints):  # not requests
        rows = np.flatnonzero(endpoint == index)
        codes, weights = np.array([s.split(":") for s in statuses.split()], dtype=float).T
        status[rows] = rng.choice(codes.astype(np.int64), len(rows), p=weights / weights.sum())
        size[rows] = np.round(rng.lognormal(np.log(max(int(median), 1)), 0.3, len(rows)))
        if int(median) <= 2:
            size[rows] = int(median)
        if agent:
            agents = agents.scatter(rows, agent[0])
    failing = (endpoint == checkout) & (rng.random(len(ts)) < 0.8 * _incident_weight(ts))
    status[failing] = np.where(rng.random(int(failing.sum())) < 0.4, 504, 503)
    size = np.where(status == 304, 0, size)
    size = np.where((status >= 400) & (status < 500), rng.integers(60, 240, len(ts)), size)
    for code, page in _NGINX_PAGES.items():
        size = np.where(status == code, page, size)
    health = _periodic(rng, timedelta(seconds=30), jitter_ms=50)
    requests = pl.DataFrame(
        {
            "ts": ts,
            "ip": variables["ip"](ts),
            "request": requests["text"],
            "status": status,
            "size": size,
            "referer": pl.Series(_REFERERS).gather(rng.integers(0, len(_REFERERS), len(ts))),
            "agent": agents,
        }
    )
    checks = pl.DataFrame({"ts": health}).with_columns(
        ip=pl.lit("10.0.0.2"), request=pl.lit("GET /healthz"), status=pl.lit(200, pl.Int64),
        size=pl.lit(2, pl.Int64), referer=pl.lit("-"), agent=pl.lit("ELB-HealthChecker/2.0"),
    )  # fmt: skip
    frame = pl.concat([requests, checks]).sort("ts", maintain_order=True)
    stamps = _stamps(frame["ts"].to_numpy(), "%d/%b/%Y:%H:%M:%S +0000")
    lines = frame.select(
        pl.format(
            '{} - - [{}] "{} HTTP/1.1" {} {} "{}" "{}"',
            "ip", pl.lit(stamps), "request", "status", "size", "referer", "agent",
        )
    ).to_series()  # fmt: skip
    return [_text_file("gateway/access.log", lines, frame["ts"].to_numpy())]
