import { expose } from 'comlink';
import './error-transfer';
import { createEngineApi } from './engine-api';

expose(createEngineApi({ databaseName: 'sift' }));
