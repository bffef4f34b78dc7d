-- The scan label the profile's 'scans' rules give an object's series (NULL: no rule matched, the series is
-- labelled by its SeriesInstanceUID). Chosen at de-identification, from the description as received.
ALTER TABLE intake_object ADD COLUMN scan_label VARCHAR(64);
