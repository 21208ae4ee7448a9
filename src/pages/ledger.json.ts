// /ledger.json: the ledger of the rewrite (lib/ledger.ts) for programs: one object per failure of the
// version matrix, with its class, where it entered and left, and every recorded build's state, all
// from the matrix records.
import type { APIRoute } from 'astro';
import { matrixRows } from '../lib/content.ts';
import { ledger, ledgerJson } from '../lib/ledger.ts';

export const GET: APIRoute = async () =>
  new Response(`${JSON.stringify(ledgerJson(ledger(await matrixRows())), null, 2)}\n`, {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
