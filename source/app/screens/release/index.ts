export { ReleaseScreen, type ReleaseScreenProps } from './release-screen.js';
