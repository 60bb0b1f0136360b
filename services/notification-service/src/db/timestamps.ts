// A timestamp as PostgreSQL's exact microsecond text, for cursors that compare in SQL exactly.
export const exactTimestamp = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
