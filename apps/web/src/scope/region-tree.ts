import type { RegionRef } from '../api/types';

export interface RegionNode {
  value: string;
  title: string;
  children: RegionNode[];
}

/** The visible regions as a tree; a region whose parent is not visible becomes a root. */
export function regionTree(regions: readonly RegionRef[]): RegionNode[] {
  const nodes = new Map<string, RegionNode>();
  for (const r of regions) nodes.set(r.code, { value: r.code, title: r.name, children: [] });
  const roots: RegionNode[] = [];
  for (const r of regions) {
    const node = nodes.get(r.code)!;
    const parent = r.parentCode ? nodes.get(r.parentCode) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

export function regionName(regions: readonly RegionRef[], code: string): string {
  return regions.find((r) => r.code === code)?.name ?? code;
}
