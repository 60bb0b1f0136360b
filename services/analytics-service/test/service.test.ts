import { describeServiceBasics } from '@azora/testing';
import { createApp } from '../src/app';
import { SERVICE } from '../src/config';

describeServiceBasics({ info: SERVICE, createApp });
