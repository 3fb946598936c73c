import {
  ActionIcon,
  Alert,
  Button,
  Notification,
  Paper,
  PasswordInput,
  TextInput,
  Textarea,
  createTheme,
  type MantineColorsTuple,
} from '@mantine/core';

// A calm, deep teal: white text on shades 7–9 meets WCAG AA contrast.
const motus: MantineColorsTuple = [
  '#eefbf8',
  '#d4f3ec',
  '#a9e6d9',
  '#79d5c3',
  '#4bbfab',
  '#2aa592',
  '#168a7a',
  '#0f766e',
  '#115e59',
  '#134e4a',
];

export const theme = createTheme({
  primaryColor: 'motus',
  primaryShade: { light: 7, dark: 5 },
  colors: { motus },
  autoContrast: true,
  defaultRadius: 'md',
  cursorType: 'pointer',
  focusRing: 'auto',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif, "Apple Color Emoji", "Segoe UI Emoji"',
  headings: {
    fontFamily:
      'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
    fontWeight: '650',
  },
  components: {
    Button: Button.extend({ defaultProps: { radius: 'md' } }),
    ActionIcon: ActionIcon.extend({ defaultProps: { radius: 'md' } }),
    Paper: Paper.extend({ defaultProps: { radius: 'lg' } }),
    Alert: Alert.extend({ defaultProps: { radius: 'md' } }),
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss notification' } },
    }),
    TextInput: TextInput.extend({ defaultProps: { size: 'sm' } }),
    Textarea: Textarea.extend({ defaultProps: { size: 'sm' } }),
    PasswordInput: PasswordInput.extend({
      defaultProps: {
        size: 'sm',
        // Keyboard users can reach the toggle too; its name avoids repeating the field's label.
        visibilityToggleFocusable: true,
        visibilityToggleButtonProps: { 'aria-label': 'Show characters' },
      },
    }),
  },
});
