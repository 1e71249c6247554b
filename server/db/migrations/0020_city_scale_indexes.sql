-- Issue #15 (city scale): facilities are read per street and per community (GET /api/stats, the
-- wall-screen summary, the facilities layer) by their community. Without an index each such read
-- scanned every facility of the city (435k for a million buildings).
CREATE INDEX facilities_community_idx ON facilities (community_id);
