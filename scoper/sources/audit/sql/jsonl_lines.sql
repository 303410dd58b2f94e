-- Stage one scoper-events JSONL file, one row per physical line.
-- read_csv with a never-used delimiter yields one VARCHAR per line (blank lines as NULL), so
-- line numbers are exact (numbering first, in its own step, lets the parse in jsonl_stage.sql
-- run in parallel). Lines were checked against scoper's line limit before (events_prepare.py);
-- $max_line_size lets DuckDB read every line within it. Parameters: $path, $compression,
-- $max_line_size.
CREATE OR REPLACE TEMP TABLE scoper_jsonl_lines AS
SELECT row_number() OVER () AS line, j
FROM read_csv($path, columns = {'j': 'VARCHAR'}, delim = '\x01', quote = '', escape = '',
              header = false, auto_detect = false, compression = $compression,
              max_line_size = $max_line_size);
