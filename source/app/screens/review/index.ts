export { ReviewScreen, type ReviewScreenProps } from './review-screen.js';
