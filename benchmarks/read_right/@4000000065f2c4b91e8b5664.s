2024-03-14 09:27:03.412038117  INFO:     Started server process [231]
2024-03-14 09:27:03.413012544  INFO:     Waiting for application startup.
2024-03-14 09:27:03.598127003  INFO:     Application startup complete.
2024-03-14 09:27:03.598431870  INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)
2024-03-14 09:27:41.002311598  INFO:     10.0.2.100:51620 - "GET /healthz HTTP/1.1" 200 OK
2024-03-14 09:28:15.119804332  INFO:     10.0.2.57:40112 - "POST /api/v1/invoices HTTP/1.1" 201 Created
2024-03-14 09:28:47.640112007  WARNING:  Invalid HTTP request received.
2024-03-14 09:29:02.287550121  ERROR:    Exception in ASGI application
2024-03-14 09:29:02.287601933  Traceback (most recent call last):
2024-03-14 09:29:02.287606050    File "/usr/local/lib/python3.12/site-packages/uvicorn/protocols/http/httptools_impl.py", line 419, in run_asgi
2024-03-14 09:29:02.287610167      result = await app(  # type: ignore[func-returns-value]
2024-03-14 09:29:02.287614284    File "/app/ledger/api/invoices.py", line 88, in create_invoice
2024-03-14 09:29:02.287618401      total = sum(line.amount for line in payload.lines)
2024-03-14 09:29:02.287622518  TypeError: unsupported operand type(s) for +: 'int' and 'NoneType'
2024-03-14 09:29:02.289004112  INFO:     10.0.2.57:40118 - "POST /api/v1/invoices HTTP/1.1" 500 Internal Server Error
2024-03-14 09:33:58.901447210  INFO:     10.0.2.100:51988 - "GET /healthz HTTP/1.1" 200 OK
2024-03-14 09:34:11.770204318  INFO:     Shutting down
2024-03-14 09:34:11.872019455  INFO:     Waiting for application shutdown.
2024-03-14 09:34:11.872210301  INFO:     Application shutdown complete.
2024-03-14 09:34:11.872388046  INFO:     Finished server process [231]
