/**
 * The shared empty list for an element's unset list fields: a statement built per call
 * would otherwise allocate one per field. Frozen: generative methods always build new lists.
 * (Its own module: the element module and the walkers generated for it both need it.)
 */
export const NONE: readonly never[] = Object.freeze([]);
