import { useEffect, useState } from 'react';

/** How many items arrived since the panel that shows them was last open. */
export function useUnreadCount(total: number, open: boolean): number {
  const [seen, setSeen] = useState(total);
  useEffect(() => {
    if (open) setSeen(total);
  }, [open, total]);
  return open ? 0 : Math.max(0, total - seen);
}
