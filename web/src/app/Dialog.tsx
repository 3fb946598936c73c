import { Drawer, Modal, type DrawerProps, type ModalProps } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useLayoutEffect } from 'react';

let openDialogs = 0;

/**
 * While a dialog is open the page behind it is hidden from assistive technology (the dialog is
 * rendered outside #root), so only the dialog's own controls can be found and read.
 */
function useHideAppBehind(opened: boolean): void {
  useLayoutEffect(() => {
    if (!opened) return;
    const root = document.getElementById('root');
    openDialogs += 1;
    root?.setAttribute('aria-hidden', 'true');
    return () => {
      openDialogs -= 1;
      if (openDialogs === 0) root?.removeAttribute('aria-hidden');
    };
  }, [opened]);
}

/** The app's dialog: a Mantine modal that fills the screen on phones. */
export function Dialog({ opened, size = 'lg', ...props }: ModalProps) {
  const isPhone = useMediaQuery('(max-width: 35.99em)', false, { getInitialValueInEffect: false }) ?? false;
  useHideAppBehind(opened);
  return (
    <Modal
      opened={opened}
      size={size}
      fullScreen={isPhone}
      radius={isPhone ? 0 : 'lg'}
      centered={!isPhone}
      closeButtonProps={{ 'aria-label': 'Close dialog' }}
      {...props}
    />
  );
}

/**
 * The app's side panel for details (an exercise's description and steps): from the right on wide
 * screens, the whole screen on phones; like a dialog, it hides the page behind it while open.
 */
export function SideDrawer({ opened, size = 'lg', ...props }: DrawerProps) {
  const isPhone = useMediaQuery('(max-width: 35.99em)', false, { getInitialValueInEffect: false }) ?? false;
  useHideAppBehind(opened);
  return (
    <Drawer
      opened={opened}
      position="right"
      size={isPhone ? '100%' : size}
      closeButtonProps={{ 'aria-label': 'Close details' }}
      styles={{ title: { fontSize: 'var(--mantine-font-size-xl)', fontWeight: 650 } }}
      {...props}
    />
  );
}
