-- The peer of the full breakdown (stats_bench.sh): every figure of `getihu stats`
-- (docs/statistics.md) by region × township × industry section × tier, with each cell's share
-- of the stock of its township and of its region — one GROUP BY statement with window shares
-- over the same schema, portable between PostgreSQL and SQLite, written the way lib/stats_peer.sql
-- is (each household's status on the four dates from ONE window pass over the status history).
-- Each household is in the cell of its tier in the latest run on or before the as-of date.
-- Placeholders, replaced by bench/stats_bench.sh: {{D0}} as-of date, {{D1}} 31 December of the
-- previous year, {{D2}} the same date a year earlier, {{D3}} 31 December before that,
-- {{Y0}} / {{Y2}} 1 January of D0's / D2's year, {{LOW}} {{HIGH}} the region's code range,
-- {{SECTION}} the section of industry code h.industry_code.
WITH ch AS (
  SELECT household_id, status, effective_on AS eff,
    LEAD(effective_on) OVER (PARTITION BY household_id ORDER BY effective_on,
      CASE change_kind WHEN 'established' THEN 0 WHEN 'changed' THEN 1 WHEN 'resumed' THEN 2
        WHEN 'suspended' THEN 3 ELSE 4 END) AS nxt
  FROM household_status_history WHERE effective_on <= '{{D0}}'
    -- A 变更 is not a status change and is not read (docs/statistics.md).
    AND change_kind <> 'changed'),
st AS (
  SELECT household_id,
    coalesce(max(CASE WHEN eff <= '{{D0}}' AND (nxt IS NULL OR nxt > '{{D0}}') THEN status END), '') AS s0,
    coalesce(max(CASE WHEN eff <= '{{D1}}' AND (nxt IS NULL OR nxt > '{{D1}}') THEN status END), '') AS s1,
    coalesce(max(CASE WHEN eff <= '{{D2}}' AND (nxt IS NULL OR nxt > '{{D2}}') THEN status END), '') AS s2,
    coalesce(max(CASE WHEN eff <= '{{D3}}' AND (nxt IS NULL OR nxt > '{{D3}}') THEN status END), '') AS s3
  FROM ch GROUP BY household_id),
p AS (
  SELECT h.region_code AS region, coalesce(h.township_code, '') AS township,
    coalesce({{SECTION}}, '') AS section, coalesce(r.outcome, 0) AS tier,
    h.registered_on AS reg, h.online,
    coalesce(st.s0, '') AS s0,
    CASE WHEN h.registered_on <= '{{D1}}' THEN coalesce(st.s1, '') ELSE '' END AS s1,
    CASE WHEN h.registered_on <= '{{D2}}' THEN coalesce(st.s2, '') ELSE '' END AS s2,
    CASE WHEN h.registered_on <= '{{D3}}' THEN coalesce(st.s3, '') ELSE '' END AS s3
  FROM households h LEFT JOIN st ON st.household_id = h.id
    LEFT JOIN tier_results r ON r.household_id = h.id
      AND r.run_id = (SELECT max(id) FROM tier_runs WHERE as_of <= '{{D0}}')
  WHERE h.region_code BETWEEN '{{LOW}}' AND '{{HIGH}}' AND h.registered_on <= '{{D0}}'),
c AS (
  SELECT region, township, section, tier,
    sum(CASE WHEN s0 IN ('active', 'suspended') THEN 1 ELSE 0 END) AS stock,
    sum(CASE WHEN s0 = 'suspended' THEN 1 ELSE 0 END) AS suspended,
    sum(CASE WHEN s0 IN ('active', 'suspended') AND online = 1 THEN 1 ELSE 0 END) AS online,
    sum(CASE WHEN s1 IN ('active', 'suspended') THEN 1 ELSE 0 END) AS stock_previous_year_end,
    sum(CASE WHEN s2 IN ('active', 'suspended') THEN 1 ELSE 0 END) AS stock_same_date_last_year,
    sum(CASE WHEN reg >= '{{Y0}}' THEN 1 ELSE 0 END) AS new_registrations,
    sum(CASE WHEN reg >= '{{Y2}}' AND reg <= '{{D2}}' THEN 1 ELSE 0 END)
      AS new_registrations_same_period_last_year,
    sum(CASE WHEN s0 IN ('deregistered', 'revoked') AND s1 NOT IN ('deregistered', 'revoked')
      THEN 1 ELSE 0 END) AS exits,
    sum(CASE WHEN s2 IN ('deregistered', 'revoked') AND s3 NOT IN ('deregistered', 'revoked')
      THEN 1 ELSE 0 END) AS exits_same_period_last_year,
    sum(CASE WHEN s0 = 'converted' AND s1 <> 'converted' THEN 1 ELSE 0 END) AS conversions
  FROM p GROUP BY region, township, section, tier)
SELECT region, township, section, tier, stock, suspended, online, stock_previous_year_end,
  stock_same_date_last_year, new_registrations, new_registrations_same_period_last_year, exits,
  exits_same_period_last_year, conversions,
  round(100.0 * stock / nullif(sum(stock) OVER (PARTITION BY region, township), 0), 6),
  round(100.0 * stock / nullif(sum(stock) OVER (PARTITION BY region), 0), 6)
FROM c ORDER BY region, township, section, tier;
