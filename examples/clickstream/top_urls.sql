-- Browsing habits: the ten most visited URLs of every minute, with the minute's page views.
-- top_k(url, 10) keeps an exact count per URL in each window's state and emits the ten largest
-- as one JSON array, [{"value":"/","count":2107},...], most visited first, ties by URL.
-- Page views are counted as in pv_uv.sql (status below 500), so one minute's pv here is the
-- sum of its six 10-second windows there.
CREATE STREAM clicks (
  ts TIMESTAMP, ip STRING, user_id STRING, url STRING, referrer STRING,
  user_agent STRING, status INT, bytes BIGINT
) WITH (topic = 'website-logs', format = 'json', event_time = 'ts', watermark = '5 seconds');

CREATE SINK top_urls WITH (type = 'file', path = 'out/top_urls', format = 'jsonl');

INSERT INTO top_urls
SELECT window.start AS window_start, window.end AS window_end,
       count(*) AS pv, top_k(url, 10) AS top_urls
FROM clicks
WHERE status < 500
GROUP BY window(ts, '1 minute');
