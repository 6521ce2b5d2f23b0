CREATE INDEX diagnostics_profile ON diagnostics (sector_code, size_band, territory_code) WHERE status = 'submitted'
