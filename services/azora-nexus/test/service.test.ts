import { describeServiceBasics } from '@azora/service-kit/testing';
import { createTestDatabase } from '@azora/testing';
import { createApp } from '../src/app';
import { SERVICE } from '../src/config';

describeServiceBasics({ info: SERVICE, createApp, database: createTestDatabase });
