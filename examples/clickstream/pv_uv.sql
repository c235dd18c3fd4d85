CREATE STREAM clicks (
  ts TIMESTAMP, ip STRING, user_id STRING, url STRING, referrer STRING,
  user_agent STRING, status INT, bytes BIGINT
) WITH (topic = 'website-logs', format = 'json', event_time = 'ts', watermark = '5 seconds');

CREATE SINK pv_uv WITH (type = 'file', path = 'out/pv_uv', format = 'jsonl');

INSERT INTO pv_uv
SELECT window.start AS window_start, window.end AS window_end,
       count(*) AS pv, count(DISTINCT user_id) AS uv, count(DISTINCT ip) AS ips
FROM clicks
WHERE status < 500
GROUP BY window(ts, '10 seconds');
