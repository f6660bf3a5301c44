/** The output formats of the tabular commands (`sort`, `compare`, `table`): one vocabulary for every layer. */
export type TableFormat = 'text' | 'json' | 'csv' | 'markdown';
