import { Controller, ForbiddenException, Get, Put } from '@nestjs/common';

@Controller('items')
export class ItemsController {
  @Get()
  list(): number[] {
    return [1, 2, 3];
  }

  @Put()
  replace(): { saved: boolean } {
    return { saved: true };
  }

  @Get('forbidden')
  forbidden(): never {
    throw new ForbiddenException('not yours');
  }

  @Get('boom')
  boom(): never {
    throw new Error('boom');
  }
}
