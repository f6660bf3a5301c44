/** Any value a JSON line can hold, plus the non-finite numbers Python's json.dumps writes. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
/** A parsed JSON object. Keys such as `__proto__` are own data properties, never prototypes. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** One metadata record: a JSON object printed on one line of a training job's output. */
export interface MetadataRecord {
  /** The object's keys in their original order, `vh_metadata` unwrapped; `_time` is kept apart in `time`. */
  values: JsonObject;
  /** ISO-8601 UTC ending in `Z`: the object's own `_time`, else the line's timestamp prefix, else when it was read. */
  time: string;
  /** The input as the user named it; `-` for stdin. */
  source: string;
  /** 1-based line number in that input. */
  line: number;
}

/** A warning about one line of one input, printed as `source:line: message`. */
export interface Diagnostic {
  source: string;
  line: number;
  message: string;
}
