/**
 * What one scenario did to one target, measured minute by minute (pure): capacity-minutes,
 * users who found no free session, capacity changes, and the capacity over time downsampled for
 * a chart.
 */
export interface Measured {
  /** Σ capacity × minutes / 60 (capacity as provisioned, fractional while it grows). */
  capacityHours: number;
  /** Σ over minutes of (sessions wanted − sessions there were), when positive. */
  shortfallUserMinutes: number;
  /** Runs of consecutive minutes with a shortfall. */
  shortfallEvents: number;
  /** The worst minute's shortfall. */
  worstShortfall: number;
  /** Capacity changes made (set, start, stop; a scaling activity for target tracking). */
  capacityChanges: number;
  /** Highest capacity available in any minute. */
  peakCapacity: number;
}

/** A step series downsampled for a chart: points at minutes from the start, value held until the next. */
export interface Series {
  minutes: number[];
  values: number[];
}

export class Meter {
  #capacityMinutes = 0;
  #shortfallUserMinutes = 0;
  #shortfallEvents = 0;
  #worstShortfall = 0;
  #peak = 0;
  #inShortfall = false;
  capacityChanges = 0;
  readonly series: Downsampler;

  constructor(bucketMinutes: number) {
    this.series = new Downsampler(bucketMinutes);
  }

  /** One minute: the capacity provisioned (billed), the sessions available, the sessions wanted. */
  record(minute: number, provisioned: number, available: number, wanted: number): void {
    this.#capacityMinutes += provisioned;
    if (available > this.#peak) this.#peak = available;
    const missing = wanted - available;
    if (missing > 0) {
      this.#shortfallUserMinutes += missing;
      if (missing > this.#worstShortfall) this.#worstShortfall = missing;
      if (!this.#inShortfall) this.#shortfallEvents += 1;
      this.#inShortfall = true;
    } else {
      this.#inShortfall = false;
    }
    this.series.add(minute, available);
  }

  result(): Measured {
    return {
      capacityHours: this.#capacityMinutes / 60,
      shortfallUserMinutes: this.#shortfallUserMinutes,
      shortfallEvents: this.#shortfallEvents,
      worstShortfall: this.#worstShortfall,
      capacityChanges: this.capacityChanges,
      peakCapacity: this.#peak,
    };
  }
}

/**
 * Keeps a chart's worth of a per-minute series: per bucket of `bucketMinutes`, its lowest and
 * highest value at the minutes they happened (so a one-minute peak survives), and of those only
 * the points where the value changes (a step line holds a value until the next point). With
 * one-minute buckets the series is exact.
 */
export class Downsampler {
  readonly #minutes: number[] = [];
  readonly #values: number[] = [];
  #bucket = -1;
  #lowMinute = 0;
  #low = 0;
  #highMinute = 0;
  #high = 0;
  #lastMinute = -1;

  constructor(readonly bucketMinutes: number) {}

  add(minute: number, value: number): void {
    const bucket = Math.floor(minute / this.bucketMinutes);
    if (bucket !== this.#bucket) {
      this.#flush();
      this.#bucket = bucket;
      this.#lowMinute = this.#highMinute = minute;
      this.#low = this.#high = value;
    } else if (value < this.#low) {
      this.#lowMinute = minute;
      this.#low = value;
    } else if (value > this.#high) {
      this.#highMinute = minute;
      this.#high = value;
    }
    this.#lastMinute = minute;
  }

  /** The points, ending with one at the minute after the last (where the line stops). */
  finish(): Series {
    this.#flush();
    this.#bucket = -1;
    const minutes = [...this.#minutes];
    const values = [...this.#values];
    if (this.#lastMinute >= 0 && values.length > 0) {
      minutes.push(this.#lastMinute + 1);
      values.push(values.at(-1)!);
    }
    return { minutes, values };
  }

  #flush(): void {
    if (this.#bucket < 0) return;
    if (this.#lowMinute <= this.#highMinute) {
      this.#point(this.#lowMinute, this.#low);
      this.#point(this.#highMinute, this.#high);
    } else {
      this.#point(this.#highMinute, this.#high);
      this.#point(this.#lowMinute, this.#low);
    }
  }

  #point(minute: number, value: number): void {
    if (this.#values.length > 0 && this.#values.at(-1) === value) return;
    this.#minutes.push(minute);
    this.#values.push(value);
  }
}

/** Bucket size that keeps a series of `minutes` under about `points` points (two per bucket). */
export function bucketFor(minutes: number, points = 2000): number {
  return Math.max(1, Math.ceil((2 * minutes) / points));
}
