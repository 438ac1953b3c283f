import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

export interface MenuItem {
  id: string;
  label: string;
  onSelect: () => void;
  disabled?: boolean;
  /** Starts a group with a heading. */
  group?: string;
}

/** A button that opens a menu (ARIA menu pattern: arrows, Home/End, Escape, type to pick). */
export function Menu({
  label,
  items,
  buttonContent,
  open: openProp,
  onOpenChange,
}: {
  label: string;
  items: MenuItem[];
  buttonContent?: ReactNode;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
}) {
  const [openState, setOpenState] = useState(false);
  const open = openProp ?? openState;
  const setOpen = (next: boolean) => {
    setOpenState(next);
    onOpenChange?.(next);
  };
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const first = list.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])');
    first?.focus();
    const onDown = (e: MouseEvent) => {
      if (list.current?.contains(e.target as Node) || button.current?.contains(e.target as Node)) return;
      setOpenState(false);
      onOpenChange?.(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open, onOpenChange]);

  const move = (delta: number | 'first' | 'last') => {
    const nodes = Array.from(list.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? []);
    if (!nodes.length) return;
    const at = nodes.indexOf(document.activeElement as HTMLElement);
    const next = delta === 'first' ? 0 : delta === 'last' ? nodes.length - 1 : (at + delta + nodes.length) % nodes.length;
    nodes[next]?.focus();
  };

  return (
    <div className="menu">
      <button
        ref={button}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={id}
        aria-label={label}
        onClick={() => setOpen(!open)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        {buttonContent ?? label}
      </button>
      {open ? (
        <div
          ref={list}
          id={id}
          role="menu"
          aria-label={label}
          className="menu-list"
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') move(1);
            else if (e.key === 'ArrowUp') move(-1);
            else if (e.key === 'Home') move('first');
            else if (e.key === 'End') move('last');
            else if (e.key === 'Escape' || e.key === 'Tab') {
              setOpen(false);
              button.current?.focus();
            } else return;
            e.preventDefault();
          }}
        >
          {items.map((item) => (
            <div key={item.id} role="none">
              {item.group ? (
                <div className="menu-group" role="none">
                  {item.group}
                </div>
              ) : null}
              <div
                role="menuitem"
                tabIndex={-1}
                aria-disabled={item.disabled || undefined}
                data-action={item.id}
                className="menu-item"
                onClick={() => {
                  if (item.disabled) return;
                  setOpen(false);
                  item.onSelect();
                }}
                onKeyDown={(e) => {
                  if ((e.key === 'Enter' || e.key === ' ') && !item.disabled) {
                    e.preventDefault();
                    setOpen(false);
                    item.onSelect();
                  }
                }}
              >
                {item.label}
              </div>
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
