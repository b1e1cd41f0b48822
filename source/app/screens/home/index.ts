export { HomeScreen, CREATING_SAMPLES, type HomeScreenProps } from './home-screen.js';
