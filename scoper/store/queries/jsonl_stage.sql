-- Stage one scoper-events JSONL file: every physical line with its 1-based number.
-- read_csv with a never-used delimiter keeps one VARCHAR per line (blank lines as NULL),
-- so line numbers are exact; JSON is parsed below by DuckDB's JSON extension.
CREATE OR REPLACE TEMP TABLE scoper_jsonl_raw AS
SELECT row_number() OVER () AS line, j
FROM read_csv($path, columns = {'j': 'VARCHAR'}, delim = '\x01', quote = '', escape = '',
              header = false, auto_detect = false, compression = $compression);
