-- The trace context (W3C traceparent/tracestate, as text-map headers in JSON) of the request or
-- consumer that wrote the event, so the relay can hand it on in the Kafka record's headers.
-- NULL when tracing is off.
ALTER TABLE outbox_event ADD COLUMN trace_headers TEXT;
